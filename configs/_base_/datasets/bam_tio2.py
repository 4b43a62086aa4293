# BAM TiO2 SEM set (40 Zeiss images 1024x768, binary manual masks <name>_m.tif; see
# ../shared/data/SOURCES.md). The Zeiss data bar fills rows 712-767 (56 rows) and is cropped off.
# Fixed split: seeded shuffle (seed 0) cut 60/20/20 -> 24 train, 8 val, 8 test images.
# Loaders, pipeline and evaluator come from the generic mask-folder set.
_base_ = ["./sem_particles.py"]
data_root = "../shared/data/segmentation/bam_tio2_sem"
crop_size = (512, 512)
bam_tio2 = dict(mask_suffix="_m", mask_kind="binary", databar=56, split_ratios=(0.6, 0.2, 0.2))
train_dataloader = dict(dataset=bam_tio2)
val_dataloader = dict(dataset=bam_tio2)
test_dataloader = dict(dataset=bam_tio2)
