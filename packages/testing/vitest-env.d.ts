// Types of inject('redisUrl'), provided by the harness's vitest globalSetup.
import type {} from '@redcache/redis-harness/vitest-global-setup';
