# The paper's model (Tables 3-5, "Our"): U-Net, ResNet50 encoder, CRCRA (CBAM) decoder blocks. Trained and tested on the BAM TiO2 split.
_base_ = [
    "../models/unet_resnet50_crcra.py",
    "../_base_/datasets/bam_tio2.py",
    "../_base_/schedules/adam_cosine_100e.py",
    "../_base_/default_runtime.py",
]
stages = ["train", "test"]
