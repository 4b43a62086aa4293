# CRCRA U-Net with the pretrained EfficientNet-Lite0 encoder on the EMPS instance-mask sample.
_base_ = [
    "../models/unet_effnet_lite0.py",
    "../_base_/datasets/emps.py",
    "../_base_/schedules/adam_cosine_100e.py",
    "../_base_/default_runtime.py",
]
stages = ["train", "test"]
