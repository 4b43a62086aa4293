# Ablation (Table 5, ResNet50 without CRCRA): the paper's model with the CBAM taken out. Trained and tested on the BAM TiO2 split.
_base_ = [
    "../models/unet_resnet50.py",
    "../_base_/datasets/bam_tio2.py",
    "../_base_/schedules/adam_cosine_100e.py",
    "../_base_/default_runtime.py",
]
stages = ["train", "test"]
