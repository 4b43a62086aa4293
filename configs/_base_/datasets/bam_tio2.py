# BAM TiO2 SEM set (40 Zeiss images 1024x768, binary manual masks <name>_m.tif; see
# ../shared/data/SOURCES.md). The Zeiss data bar fills rows 712-767 (56 rows) and is cropped off.
# Fixed split: seeded shuffle (seed 0) cut 60/20/20 -> 24 train, 8 val, 8 test images.
data_root = "../shared/data/segmentation/bam_tio2_sem"
crop_size = (512, 512)
bam_tio2 = dict(
    type="MaskFolderDataset",
    mask_suffix="_m",
    mask_kind="binary",
    databar=56,
    split_ratios=(0.6, 0.2, 0.2),
    split_seed=0,
)
train_pipeline = [
    dict(type="RandomRescale", scale_range=(0.25, 2.0), aspect_jitter=0.3),
    dict(type="RandomFlip", prob=0.5, direction="horizontal"),
    dict(type="RandomTranslate", max_ratio=0.1, prob=0.5),
    dict(type="RandomCropPad", size=crop_size),
    dict(type="HSVJitter", hue=0.1, saturation=(0.3, 1.7), value=(0.7, 1.3)),
]
train_dataloader = dict(
    batch_size=2,
    num_workers=0,
    sampler=dict(type="DefaultSampler", shuffle=True),
    dataset=dict(**bam_tio2, split="train", pipeline=train_pipeline),
)
val_dataloader = dict(
    batch_size=1,
    num_workers=0,
    sampler=dict(type="DefaultSampler", shuffle=False),
    dataset=dict(**bam_tio2, split="val"),
)
test_dataloader = dict(
    batch_size=1,
    num_workers=0,
    sampler=dict(type="DefaultSampler", shuffle=False),
    dataset=dict(**bam_tio2, split="test"),
)
val_evaluator = dict(type="ParticleMetric", min_area=10, exclude_border=True)
test_evaluator = val_evaluator
