# A light CRCRA U-Net: EfficientNet-Lite0 encoder with the ImageNet weights that the pip package Trained and tested on the BAM TiO2 split.
_base_ = [
    "../models/unet_effnet_lite0.py",
    "../_base_/datasets/bam_tio2.py",
    "../_base_/schedules/adam_cosine_100e.py",
    "../_base_/default_runtime.py",
]
stages = ["train", "test"]
