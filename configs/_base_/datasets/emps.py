# EMPS test-split sample (60 journal-figure crops, RGB PNG, uint16 instance masks; see
# ../shared/data/SOURCES.md). No data bar is cropped (figure crops). Instance masks give
# per-particle truth, so `nanokit test` adds the sizing metrics (Spearman, MRE, logR-Acc).
# Fixed split: seeded shuffle (seed 0) cut 60/20/20 -> 36 train, 12 val, 12 test images.
# Loaders, pipeline and evaluator come from the generic mask-folder set.
_base_ = ["./sem_particles.py"]
data_root = "../shared/data/segmentation/emps"
crop_size = (384, 384)
emps = dict(mask_kind="instance", databar=None, split_ratios=(0.6, 0.2, 0.2))
train_dataloader = dict(dataset=emps)
val_dataloader = dict(dataset=emps)
test_dataloader = dict(dataset=emps)
