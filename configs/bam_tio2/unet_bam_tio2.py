# The plain U-Net (Table 3/5 baseline): its own encoder (64-1024 channels), no pretrained weights. Trained and tested on the BAM TiO2 split.
_base_ = [
    "../models/unet.py",
    "../_base_/datasets/bam_tio2.py",
    "../_base_/schedules/adam_cosine_100e.py",
    "../_base_/default_runtime.py",
]
stages = ["train", "test"]
