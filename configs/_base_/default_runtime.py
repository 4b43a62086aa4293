# Runtime settings shared by every config (mmengine Runner conventions).
default_scope = "nanokit"
randomness = dict(seed=42, deterministic=False)
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend="gloo"))
log_level = "INFO"
load_from = None
resume = False
# Stages that `nanokit run` executes, in order.
stages = ["train", "test", "measure"]
