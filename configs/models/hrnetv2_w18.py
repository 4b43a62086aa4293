# HRNetV2-W18 (Table 4): the four HRNet branches (strides 4-32) concatenated at stride 4.
model = dict(
    type="EncoderDecoder",
    num_classes=2,
    backbone=dict(
        type="TimmBackbone",
        model_name="hrnet_w18",
        out_indices=(1, 2, 3, 4),
        pretrained=False,
        checkpoint=None,
        model_kwargs=dict(feature_location=""),
    ),
    decoder=dict(type="HRNetV2Head"),
    loss=dict(type="CrossEntropyLoss"),
)
