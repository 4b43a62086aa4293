# PSPNet (Table 4): dilated ResNet50 (output stride 8) + pyramid pooling head.
model = dict(
    type="EncoderDecoder",
    num_classes=2,
    backbone=dict(
        type="TimmBackbone",
        model_name="resnet50",
        out_indices=(4,),
        pretrained=False,
        checkpoint=None,
        model_kwargs=dict(output_stride=8),
    ),
    decoder=dict(type="PSPHead", channels=512, pool_scales=(1, 2, 3, 6)),
    loss=dict(type="CrossEntropyLoss"),
)
