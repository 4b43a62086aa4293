# The paper's schedule: Adam (beta1 = 0.9), cosine annealing, cross-entropy, 100 epochs with the
# backbone frozen for the first 50, weights saved every 5 epochs, the best by validation IoU kept.
# max_epochs, freeze_backbone_epochs and checkpoint_interval are the knobs: `nanokit train`
# copies them into train_cfg, param_scheduler and the hooks (default_hooks.checkpoint lives in
# default_runtime.py), so a leaf only sets them.
max_epochs = 100
freeze_backbone_epochs = 50
checkpoint_interval = 5
optim_wrapper = dict(type="OptimWrapper", optimizer=dict(type="Adam", lr=1e-4, betas=(0.9, 0.999)))
param_scheduler = [
    dict(
        type="CosineAnnealingLR",
        by_epoch=True,
        begin=0,
        end=max_epochs,
        T_max=max_epochs,
        eta_min=1e-6,
        convert_to_iter_based=True,
    )
]
train_cfg = dict(type="EpochBasedTrainLoop", max_epochs=max_epochs, val_interval=1)
val_cfg = dict(type="ValLoop")
custom_hooks = [
    dict(type="BackboneUnfreezeHook", unfreeze_epoch=freeze_backbone_epochs),
    dict(type="SafetensorsExportHook", interval=checkpoint_interval),
    dict(type="CurvePlotHook", metric_keys=("IoU", "F1")),
]
