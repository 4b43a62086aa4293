# The paper's model (ResNet50 U-Net, CRCRA/CBAM decoder) on the EMPS instance-mask sample; the test
# stage adds the sizing metrics (Spearman, MRE, logR-Acc) from the instance masks.
_base_ = [
    "../models/unet_resnet50_crcra.py",
    "../_base_/datasets/emps.py",
    "../_base_/schedules/adam_cosine_100e.py",
    "../_base_/default_runtime.py",
]
stages = ["train", "test"]
