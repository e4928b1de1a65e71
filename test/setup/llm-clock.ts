import { Global, Module } from '@nestjs/common';
import { LLM_CLOCK } from '../../src/modules/llm/llm.module';

/** The time the LLM client's rests are measured by (milliseconds): a test moves it instead of waiting a rest out. */
export const llmClock = { ms: Date.parse('2026-03-02T18:00:00Z') };

/** Gives the LLM client `llmClock`: pass it with the feature modules of a test context. */
@Global()
@Module({ providers: [{ provide: LLM_CLOCK, useValue: () => llmClock.ms }], exports: [LLM_CLOCK] })
export class TestLlmClockModule {}
