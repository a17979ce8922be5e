"""The reviewer's tools: batch review, checks against last year, compilation (汇总)."""
