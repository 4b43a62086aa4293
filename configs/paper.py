# The reference study (RSC Advances 2025, doi:10.1039/d5ra03210e): ResNet50 U-Net with CRCRA
# decoder blocks, trained 100 epochs (backbone frozen for 50), evaluated on the test split, then
# particle sizes measured on the test images.
# Data: put the micrographs in data/sem_particles/images and their masks in
# data/sem_particles/masks (see _base_/datasets/sem_particles.py), or set data_root.
# ImageNet weights for the encoder: --cfg-options model.backbone.checkpoint=PATH (no download).
_base_ = [
    "./_base_/models/unet_r50_crcra.py",
    "./_base_/datasets/sem_particles.py",
    "./_base_/schedules/adam_cosine_100e.py",
    "./_base_/measure/paddleocr_ecd.py",
    "./_base_/default_runtime.py",
]
stages = ["train", "test", "measure"]
