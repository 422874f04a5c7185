# Run by gpuhost_embed_text: IN, OUT, SYMBOL.
file(READ ${IN} text)
file(WRITE ${OUT} "// Generated from ${IN}; do not edit.\nextern const char ${SYMBOL}[];\nconst char ${SYMBOL}[] = R\"GPUHOST_EMBED(${text})GPUHOST_EMBED\";\n")
