/** This package's version, reported as the meter's instrumentation-scope version. A test keeps it equal to package.json's. */
export const VERSION = '0.0.0';
