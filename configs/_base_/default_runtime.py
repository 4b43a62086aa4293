# Runtime settings shared by every config (mmengine Runner conventions).
default_scope = "nanokit"
randomness = dict(seed=42, deterministic=False)
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend="gloo"))
log_level = "INFO"
log_processor = dict(by_epoch=True, window_size=10)
default_hooks = dict(
    timer=dict(type="IterTimerHook"),
    logger=dict(type="LoggerHook", interval=10),  # progress lines with ETA
    param_scheduler=dict(type="ParamSchedulerHook"),
    sampler_seed=dict(type="DistSamplerSeedHook"),
    # every checkpoint_interval epochs (set by the schedule), plus the best by validation IoU
    checkpoint=dict(
        type="CheckpointHook",
        by_epoch=True,
        interval=5,
        save_best="IoU",
        rule="greater",
        max_keep_ckpts=4,
    ),
)
load_from = None
resume = False
# Stages that `nanokit run` executes, in order.
stages = ["train", "test", "measure"]
