# The paper's model: U-Net with a ResNet50 encoder and CRCRA (conv-ReLU-conv-ReLU-CBAM) decoder blocks.
model = dict(
    type="EncoderDecoder",
    num_classes=2,
    backbone=dict(type="TimmBackbone", model_name="resnet50", pretrained=False, checkpoint=None),
    decoder=dict(
        type="UNetDecoder",
        channels=(512, 256, 128, 64),
        attention=dict(type="CBAM", reduction=16, kernel_size=7),
    ),
    loss=dict(type="CrossEntropyLoss"),
)
