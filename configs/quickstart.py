# A few minutes on a 2-core CPU: synthetic SEM images, a short schedule of the paper's model,
# evaluation, scale bars read automatically, particle sizes and a report.
_base_ = ["./paper.py"]
data_root = "work_dirs/quickstart/data"
synth = dict(n=60, seed=0)
max_epochs = 6
train_cfg = dict(max_epochs=6, val_interval=2)
measure = dict(ocr_engine=dict(type="RapidOCREngine"))
