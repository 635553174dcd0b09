"""Screen a conversation for the approach pattern of intelligence recruitment."""
