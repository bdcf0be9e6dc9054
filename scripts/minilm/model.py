"""A small GPT-style decoder with rotary position embeddings and optional document masking."""
import torch
import torch.nn.functional as F
from torch import nn

from . import vocab as V


def rotary(x: torch.Tensor, theta: float) -> torch.Tensor:
    """Applies RoPE to (batch, heads, time, dim)."""
    _, _, t, d = x.shape
    frequencies = theta ** (-torch.arange(0, d, 2, device=x.device, dtype=torch.float32) / d)
    angles = torch.arange(t, device=x.device, dtype=torch.float32)[:, None] * frequencies[None, :]
    cos, sin = angles.cos().to(x.dtype), angles.sin().to(x.dtype)
    x1, x2 = x[..., 0::2], x[..., 1::2]
    return torch.stack((x1 * cos - x2 * sin, x1 * sin + x2 * cos), dim=-1).flatten(-2)


class Block(nn.Module):
    def __init__(self, width: int, heads: int):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width, bias=False)
        self.out = nn.Linear(width, width, bias=False)
        self.norm2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))

    def forward(self, x, theta, mask):
        b, t, c = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(b, t, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k = rotary(q, theta), rotary(k, theta)
        if mask is None:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        x = x + self.out(y.transpose(1, 2).reshape(b, t, c))
        return x + self.mlp(self.norm2(x))


class TinyGPT(nn.Module):
    def __init__(self, width=128, layers=2, heads=4, rope_theta=10000.0):
        super().__init__()
        self.config = {"width": width, "layers": layers, "heads": heads, "rope_theta": rope_theta}
        self.embed = nn.Embedding(V.VOCAB_SIZE, width)
        self.blocks = nn.ModuleList(Block(width, heads) for _ in range(layers))
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, V.VOCAB_SIZE, bias=False)
        self.rope_theta = rope_theta

    def forward(self, tokens, documents=None):
        """Logits for (batch, time) tokens; with document ids, attention stays within each document."""
        mask = None
        if documents is not None:
            t = tokens.shape[1]
            causal = torch.ones(t, t, dtype=torch.bool, device=tokens.device).tril()
            mask = (documents[:, :, None] == documents[:, None, :]) & causal
            mask = mask[:, None, :, :]
        x = self.embed(tokens)
        for block in self.blocks:
            x = block(x, self.rope_theta, mask)
        return self.head(self.norm(x))
