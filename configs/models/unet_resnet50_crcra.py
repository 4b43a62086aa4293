# The paper's model (Tables 3-5, "Our"): U-Net, ResNet50 encoder, CRCRA (CBAM) decoder blocks.
_base_ = ["../_base_/models/unet_r50_crcra.py"]
