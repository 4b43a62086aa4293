# The fine-tuning recipe on the BAM TiO2 SEM set (40 Zeiss images, binary manual masks whose
# touching particles are drawn apart: mask_kind="components"), as an example of adapting the
# shipped network to one material: the same 24 train / 8 test images as configs/bam_tio2/.
# BAM's licence (CC BY-NC-ND 4.0) allows this for your own research; weights trained on it are
# never shipped with nanokit. Results: docs/results.md.
#     nanokit run configs/measure/instance_boundary_finetune_bam_tio2.py
_base_ = ["./instance_boundary_finetune.py"]
data_root = "../shared/data/segmentation/bam_tio2_sem"
own_data = dict(
    type="MaskFolderDataset",
    mask_suffix="_m",
    mask_kind="components",
    databar=56,  # the Zeiss data bar's rows
    split_ratios=(0.6, 0.2, 0.2),
    target={{_base_.target}},
)
train_dataloader = dict(
    dataset=dict(datasets=[dict(own_data, split="train", pipeline={{_base_.train_pipeline}})])
)
val_dataloader = dict(dataset=dict(own_data, _delete_=True, split="test"))
test_dataloader = val_dataloader
work_dir = "work_dirs/instance_boundary_finetune_bam_tio2"
measure = dict(segmenter=dict(checkpoint=work_dir + "/last.safetensors"))
