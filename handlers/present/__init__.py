"""How answers look: the Reply a handler returns, Flex building blocks, cards and the shared Thai texts."""
