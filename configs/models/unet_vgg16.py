# U-Net with a VGG16 encoder (Table 3): VGG16 features at strides 1-16, plain decoder blocks.
_base_ = ["../_base_/models/unet_r50_crcra.py"]
model = dict(
    backbone=dict(model_name="vgg16", out_indices=(0, 1, 2, 3, 4)),
    decoder=dict(attention=dict(_delete_=True, type="Identity")),
)
