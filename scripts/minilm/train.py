"""Training with the Hugging Face Trainer, shared by the base, pretrain and sft stages.

Each stage writes what ProLong's runs write: `checkpoint-N/` directories (model, optimizer, scheduler,
`trainer_state.json` last), then the final model with its tokenizer, `trainer_state.json` and
`train_results.json` in the output directory. A stage resumes from its newest complete checkpoint;
SIGTERM saves a checkpoint and exits 143; SIGUSR1 (Slurm's warning before the time limit, forwarded by ablate-wrap)
saves a checkpoint and goes on.
"""
import os
import re
import signal
import sys
import time

import torch
from transformers import Trainer, TrainerCallback, TrainingArguments

from . import batches, tokenizer


class Signals(TrainerCallback):
    """Turns SIGTERM and SIGUSR1 into the Trainer's own save (and stop) at the end of the current step."""

    def __init__(self):
        self.stop = self.save = False
        signal.signal(signal.SIGTERM, self._on_term)
        signal.signal(signal.SIGUSR1, self._on_usr1)

    def _on_term(self, signum, frame):
        self.stop = True

    def _on_usr1(self, signum, frame):
        self.save = True

    def on_step_end(self, args, state, control, **kwargs):
        if self.save or self.stop:
            control.should_save = True
        if self.stop:
            control.should_training_stop = True
        return control

    def on_save(self, args, state, control, **kwargs):
        if self.save:
            self.save = False
            print(f"SIGUSR1 at step {state.global_step}; checkpoint saved, going on", flush=True)
        return control


class MiniTrainer(Trainer):
    """The Trainer with the two changes the mini runs need: rows in order (each row is already a
    pseudo-random draw fixed by its index, so resuming skips exactly the rows trained on), and a
    `tokens_per_s` throughput figure in every log entry."""

    def __init__(self, *args, tokens_per_step: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.tokens_per_step = tokens_per_step
        self._clock = None

    def _get_train_sampler(self, *args, **kwargs):
        return torch.utils.data.SequentialSampler(self.train_dataset)

    def log(self, logs, *args, **kwargs):
        if "loss" in logs:
            now, step = time.time(), self.state.global_step
            if self._clock is not None and step > self._clock[1]:
                logs["tokens_per_s"] = (step - self._clock[1]) * self.tokens_per_step / max(now - self._clock[0], 1e-9)
            self._clock = (now, step)
        super().log(logs, *args, **kwargs)


@torch.no_grad()
def batch_loss(model, items) -> float:
    """The model's loss on some rows (the last batch it trained on, for `final_loss`), in eval mode."""
    was_training = model.training
    model.eval()
    inputs = {key: value.to(model.device) if torch.is_tensor(value) else value
              for key, value in batches.collate(items).items()}
    loss = model(**inputs).loss.float().item()
    model.train(was_training)
    return loss


def last_complete_checkpoint(out: str):
    """The newest `checkpoint-N` in `out` that the Trainer finished writing (`trainer_state.json` is the last
    file it saves, as Ablate's checkpoint readiness also assumes), or None. transformers' own
    `get_last_checkpoint` takes the newest directory, and one left half-written by a run killed while saving
    (SIGKILL, a node failure) would make every retry fail to resume."""
    if not os.path.isdir(out):
        return None
    steps = [int(found.group(1)) for name in os.listdir(out)
             if (found := re.fullmatch(r"checkpoint-(\d+)", name))
             and os.path.isfile(os.path.join(out, name, "trainer_state.json"))]
    return os.path.join(out, f"checkpoint-{max(steps)}") if steps else None


def on_gpu() -> bool:
    return torch.cuda.is_available() and os.environ.get("MINILM_DEVICE", "auto") != "cpu"


def run(stage: str, model, rows, steps: int, batch: int, lr: float, seed: int, save_every: int,
        weight_decay: float = 0.1) -> None:
    """Trains `model` on `rows` for `steps` steps of `batch` rows into $ABLATE_OUTPUT_DIR."""
    out = os.environ.get("ABLATE_OUTPUT_DIR", ".")
    torch.set_num_threads(int(os.environ.get("MINILM_THREADS", "1")))
    arguments = TrainingArguments(
        output_dir=out, max_steps=steps, per_device_train_batch_size=batch, learning_rate=lr,
        weight_decay=weight_decay, adam_beta1=0.9, adam_beta2=0.95, max_grad_norm=1.0,
        warmup_steps=max(1, steps // 20), lr_scheduler_type="cosine_with_min_lr",
        lr_scheduler_kwargs={"min_lr_rate": 0.1}, logging_steps=10, logging_first_step=True,
        save_strategy="steps", save_steps=save_every, report_to="none", disable_tqdm=True, seed=seed,
        dataloader_num_workers=0, remove_unused_columns=False, use_cpu=not on_gpu(),
        bf16=on_gpu() and torch.cuda.is_bf16_supported())
    signals = Signals()
    trainer = MiniTrainer(model=model, args=arguments, train_dataset=rows, data_collator=batches.collate,
                          processing_class=tokenizer.build(), callbacks=[signals],
                          tokens_per_step=batch * rows.length)
    last = last_complete_checkpoint(out)
    if last is not None:
        print(f"{stage}: resuming from {os.path.basename(last)} of {steps} steps", flush=True)
    result = trainer.train(resume_from_checkpoint=last)
    if signals.stop:
        print(f"{stage}: SIGTERM at step {trainer.state.global_step}; checkpoint saved", flush=True)
        sys.exit(143)
    trainer.save_model(out)
    trainer.save_state()
    metrics = dict(result.metrics, train_tokens=steps * batch * rows.length,
                   final_loss=batch_loss(trainer.model, [rows[i] for i in range(len(rows) - batch, len(rows))]))
    trainer.save_metrics("train", metrics)
    print(f"{stage}: done, {steps} steps, {metrics['train_tokens']} tokens, final loss {metrics['final_loss']:.3f}",
          flush=True)
