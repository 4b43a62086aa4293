# The paper's model: U-Net with a ResNet50 encoder (timm, strides 2-32) and CRCRA fusion blocks
# (conv3x3-ReLU-conv3x3-ReLU-CBAM) in every decoder stage; the last stage has no skip concat.
# ImageNet weights: set backbone.checkpoint to a local timm resnet50 .safetensors/.pth file.
model = dict(
    type="EncoderDecoder",
    num_classes=2,
    backbone=dict(
        type="TimmBackbone", model_name="resnet50", pretrained=False, checkpoint=None, frozen=False
    ),
    decoder=dict(
        type="UNetDecoder",
        channels=(512, 256, 128, 64),
        block=dict(type="CRCRA"),
        attention=dict(type="CBAM", reduction=16, kernel_size=7),
    ),
    loss=dict(type="CrossEntropyLoss"),
)
