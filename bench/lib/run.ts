/** Runs a bench's entry point: an error is printed and ends the process with exit code 1. */
export function run(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
