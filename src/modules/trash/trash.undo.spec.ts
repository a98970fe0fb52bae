import { API_PREFIX } from '../../common/http/api';
import { buildUndoPayload, TRASH_PATH, undoPayloadSchema } from './trash.undo';

describe('undo payload', () => {
  it('points at the restore route under the API prefix', () => {
    expect(TRASH_PATH).toBe(`/${API_PREFIX}/trash`);
  });

  it('has the shape every DELETE answers with', () => {
    const payload = buildUndoPayload({
      id: 'A000123',
      type: 'upload',
      deletedAt: new Date('2026-05-01T08:00:00Z'),
      expiresAt: new Date('2026-05-31T08:00:00Z'),
    });
    expect(payload).toEqual({
      id: 'A000123',
      type: 'upload',
      deletedAt: '2026-05-01T08:00:00.000Z',
      undo: { method: 'POST', href: '/api/v1/trash/A000123/restore' },
      expiresAt: '2026-05-31T08:00:00.000Z',
    });
    expect(undoPayloadSchema.parse(payload)).toEqual(payload);
  });
});
