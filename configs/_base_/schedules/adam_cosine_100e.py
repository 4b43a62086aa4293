# The paper's schedule: Adam, cosine annealing, 100 epochs, backbone frozen for the first 50.
max_epochs = 100
freeze_backbone_epochs = 50
checkpoint_interval = 5
optim_wrapper = dict(type="OptimWrapper", optimizer=dict(type="Adam", lr=1e-4, betas=(0.9, 0.999)))
param_scheduler = [dict(type="CosineAnnealingLR", by_epoch=True, begin=0, end=100, eta_min=1e-6)]
train_cfg = dict(type="EpochBasedTrainLoop", max_epochs=100, val_interval=5)
