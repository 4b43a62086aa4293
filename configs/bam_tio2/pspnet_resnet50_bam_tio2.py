# PSPNet (Table 4): dilated ResNet50 (output stride 8) + pyramid pooling head. Trained and tested on the BAM TiO2 split.
_base_ = [
    "../models/pspnet_resnet50.py",
    "../_base_/datasets/bam_tio2.py",
    "../_base_/schedules/adam_cosine_100e.py",
    "../_base_/default_runtime.py",
]
stages = ["train", "test"]
