# SegFormer-B0 (Table 4): Mix Transformer encoder + all-MLP head.
model = dict(
    type="EncoderDecoder",
    num_classes=2,
    backbone=dict(type="MiT", arch="b0", checkpoint=None),
    decoder=dict(type="SegFormerHead", channels=256),
    loss=dict(type="CrossEntropyLoss"),
)
