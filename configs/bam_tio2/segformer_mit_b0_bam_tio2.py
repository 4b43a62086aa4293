# SegFormer-B0 (Table 4): Mix Transformer encoder + all-MLP head. Trained and tested on the BAM TiO2 split.
_base_ = [
    "../models/segformer_mit_b0.py",
    "../_base_/datasets/bam_tio2.py",
    "../_base_/schedules/adam_cosine_100e.py",
    "../_base_/default_runtime.py",
]
stages = ["train", "test"]
