# The plain U-Net (Table 3/5 baseline): its own encoder (64-1024 channels), no pretrained weights.
_base_ = ["../_base_/models/unet_r50_crcra.py"]
model = dict(
    backbone=dict(_delete_=True, type="UNetEncoder", channels=(64, 128, 256, 512, 1024)),
    decoder=dict(attention=dict(_delete_=True, type="Identity")),
)
