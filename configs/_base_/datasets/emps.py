# EMPS test-split sample (60 journal-figure crops, RGB PNG, uint16 instance masks; see
# ../shared/data/SOURCES.md). No data bar is cropped (figure crops). Instance masks give
# per-particle truth, so `nanokit test` adds the sizing metrics (Spearman, MRE, logR-Acc).
# Fixed split: seeded shuffle (seed 0) cut 60/20/20 -> 36 train, 12 val, 12 test images.
data_root = "../shared/data/segmentation/emps"
crop_size = (384, 384)
emps = dict(
    type="MaskFolderDataset",
    mask_kind="instance",
    databar=None,
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
    dataset=dict(**emps, split="train", pipeline=train_pipeline),
)
val_dataloader = dict(
    batch_size=1,
    num_workers=0,
    sampler=dict(type="DefaultSampler", shuffle=False),
    dataset=dict(**emps, split="val"),
)
test_dataloader = dict(
    batch_size=1,
    num_workers=0,
    sampler=dict(type="DefaultSampler", shuffle=False),
    dataset=dict(**emps, split="test"),
)
val_evaluator = dict(type="ParticleMetric", min_area=10, exclude_border=True)
test_evaluator = val_evaluator
