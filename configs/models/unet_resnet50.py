# Ablation (Table 5, ResNet50 without CRCRA): the paper's model with the CBAM taken out.
_base_ = ["../_base_/models/unet_r50_crcra.py"]
model = dict(decoder=dict(attention=dict(_delete_=True, type="Identity")))
