# DeepLabv3+ (Table 4): dilated ResNet50 (output stride 16), ASPP + stride-4 low-level skip.
model = dict(
    type="EncoderDecoder",
    num_classes=2,
    backbone=dict(
        type="TimmBackbone",
        model_name="resnet50",
        out_indices=(1, 4),
        pretrained=False,
        checkpoint=None,
        model_kwargs=dict(output_stride=16),
    ),
    decoder=dict(type="DeepLabV3PlusHead", channels=256, dilations=(1, 6, 12, 18)),
    loss=dict(type="CrossEntropyLoss"),
)
