"""Chinese research terms → English arXiv keywords, for `/sub` topics arXiv cannot match."""

from __future__ import annotations

import re

# Longest keys first when scanning, so 大语言模型 wins over 语言模型 and 模型.
GLOSSARY: dict[str, tuple[str, ...]] = {
    "大语言模型": ('"large language model"', "LLM", "cs.CL"),
    "大模型": ('"large language model"', "LLM"),
    "语言模型": ('"language model"', "cs.CL"),
    "自然语言处理": ("cs.CL",),
    "机器翻译": ('"machine translation"',),
    "计算机视觉": ("cs.CV",),
    "目标检测": ('"object detection"',),
    "图像分割": ('"image segmentation"',),
    "图像生成": ('"image generation"', '"text-to-image"'),
    "视频生成": ('"video generation"',),
    "三维重建": ('"3D reconstruction"',),
    "扩散模型": ('"diffusion model"',),
    "强化学习": ('"reinforcement learning"',),
    "多模态": ("multimodal", '"vision-language"'),
    "智能体": ("agent", '"LLM agent"'),
    "检索增强": ('"retrieval-augmented generation"', "RAG"),
    "知识图谱": ('"knowledge graph"',),
    "图神经网络": ('"graph neural network"', "GNN"),
    "联邦学习": ('"federated learning"',),
    "对比学习": ('"contrastive learning"',),
    "自监督": ('"self-supervised"',),
    "医学影像": ('"medical imaging"', "eess.IV"),
    "语音识别": ('"speech recognition"', "eess.AS"),
    "语音合成": ('"text-to-speech"',),
    "推荐系统": ('"recommender system"', "cs.IR"),
    "信息检索": ("cs.IR",),
    "情感分析": ('"sentiment analysis"',),
    "问答": ('"question answering"',),
    "代码生成": ('"code generation"',),
    "对齐": ("alignment", "RLHF"),
    "幻觉": ("hallucination",),
    "微调": ('"fine-tuning"', "LoRA"),
    "提示": ("prompt", '"prompt engineering"'),
    "思维链": ('"chain-of-thought"',),
    "数学推理": ('"mathematical reasoning"',),
    "推理": ("reasoning",),
    "蒸馏": ('"knowledge distillation"',),
    "量化": ("quantization",),
    "剪枝": ("pruning",),
    "自动驾驶": ('"autonomous driving"',),
    "机器人": ("cs.RO", "robot"),
    "时间序列": ('"time series"',),
    "可解释": ("interpretability", "explainability"),
    "安全": ("safety", "jailbreak"),
    "隐私": ("privacy", '"differential privacy"'),
    "量子计算": ("quant-ph", '"quantum computing"'),
    "量子": ("quant-ph",),
    "机器学习": ("cs.LG",),
    "深度学习": ("cs.LG", '"deep learning"'),
    "神经网络": ('"neural network"',),
    "优化": ("optimization", "math.OC"),
    "摘要": ("summarization",),
    "对话": ("dialogue",),
    "信息抽取": ('"information extraction"',),
    "文本分类": ('"text classification"',),
    "具身智能": ('"embodied AI"', "cs.RO"),
    "世界模型": ('"world model"',),
}
GENERIC = ('"language model"', "cs.CL", "cs.LG")
_LATIN = re.compile(r"[A-Za-z]")


def needs_english(topic: str) -> bool:
    """arXiv's titles and abstracts are English: a topic without a Latin letter never matches."""
    return _LATIN.search(topic) is None


def suggest(topic: str, limit: int = 4) -> list[str]:
    """English keywords or categories for a Chinese topic, most specific first."""
    found: list[str] = []
    rest = topic
    for key in sorted(GLOSSARY, key=len, reverse=True):
        if key in rest:
            rest = rest.replace(key, " ")
            found += [s for s in GLOSSARY[key] if s not in found]
    return found[:limit]
