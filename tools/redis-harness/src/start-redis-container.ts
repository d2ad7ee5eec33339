import { waitForPing } from './ping.js';
import type { RedisHandle } from './redis-handle.js';

const IMAGE = 'redis:7.2-alpine';

interface TestcontainersModule {
  getContainerRuntimeClient(): Promise<unknown>;
  GenericContainer: new (
    image: string,
  ) => {
    withExposedPorts(port: number): {
      start(): Promise<{ getHost(): string; getMappedPort(port: number): number; stop(): Promise<unknown> }>;
    };
  };
}

/**
 * A Redis in a container via testcontainers, or undefined when testcontainers is not
 * installed or no container engine (Docker) answers.
 */
export async function startRedisContainer(): Promise<RedisHandle | undefined> {
  let testcontainers: TestcontainersModule;
  try {
    // A variable specifier keeps testcontainers optional for bundlers and type checking alike.
    const specifier = 'testcontainers';
    testcontainers = (await import(specifier)) as TestcontainersModule;
  } catch {
    return undefined;
  }
  try {
    await testcontainers.getContainerRuntimeClient();
  } catch {
    return undefined;
  }
  const container = await new testcontainers.GenericContainer(IMAGE).withExposedPorts(6379).start();
  const stop = async () => {
    await container.stop();
  };
  const host = container.getHost();
  const port = container.getMappedPort(6379);
  try {
    await waitForPing(host, port, 10_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis://${host}:${port}`, stop };
}
