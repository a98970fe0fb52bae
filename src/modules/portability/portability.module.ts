import { Module } from '@nestjs/common';

/**
 * Export and import of a whole organization (docs/portability.md): one streamed ZIP with a manifest, JSON Lines per
 * record type and every file; a dry run before an import writes anything.
 */
@Module({
  imports: [],
})
export class PortabilityModule {}
