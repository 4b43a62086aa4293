# A folder of SEM images with particle masks:
#   <data_root>/images/<name>.png|.tif   micrographs (8/16 bit, grey/RGB/RGBA)
#   <data_root>/masks/<name>.png|.tif    binary (0/255) or instance-label (uint16) masks
# Labelme JSON annotations: `nanokit convert labelme SRC <data_root>/masks`, or set the datasets'
# type="LabelmeDataset" (ann_dir, label_names). Splits: a seeded shuffle cut 72/18/10 (the paper's
# 298/75/42 images), or split_file="splits/train.txt" etc. The instrument data bar at the bottom
# is detected and cropped off before training and evaluation.
data_root = "data/sem_particles"
crop_size = (512, 512)
train_pipeline = [
    dict(type="RandomRescale", scale_range=(0.25, 2.0), aspect_jitter=0.3),
    dict(type="RandomFlip", prob=0.5, direction="horizontal"),
    dict(type="RandomTranslate", max_ratio=0.1, prob=0.5),
    dict(type="RandomCropPad", size=crop_size),
    # colour jitter is per pixel, so it runs on the crop (cheaper, same result)
    dict(type="HSVJitter", hue=0.1, saturation=(0.3, 1.7), value=(0.7, 1.3)),
]
mask_folder = dict(
    type="MaskFolderDataset",
    split_ratios=(0.72, 0.18, 0.10),
    split_seed=0,
    databar="detect",
)
train_dataloader = dict(
    batch_size=2,
    num_workers=0,
    sampler=dict(type="DefaultSampler", shuffle=True),
    dataset=dict(**mask_folder, split="train", pipeline=train_pipeline),
)
val_dataloader = dict(
    batch_size=1,
    num_workers=0,
    sampler=dict(type="DefaultSampler", shuffle=False),
    dataset=dict(**mask_folder, split="val"),
)
test_dataloader = dict(val_dataloader, dataset=dict(**mask_folder, split="test"))
val_evaluator = dict(type="ParticleMetric", min_area=10, exclude_border=True)
test_evaluator = val_evaluator
