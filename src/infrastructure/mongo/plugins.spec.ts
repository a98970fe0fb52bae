import mongoose, { Schema } from 'mongoose';
import { appendOnlyPlugin, declareCrossTenant, tenantScopedPlugin, tenantScopingGaps } from './plugins';

class Refused extends Error {}

describe('appendOnlyPlugin', () => {
  // An unconnected connection: the hooks refuse before any command would be sent.
  const connection = mongoose.createConnection();
  const schema = new Schema({ name: String });
  schema.plugin(appendOnlyPlugin, (op: string) => new Refused(op));
  const Model = connection.model('AppendOnlyThing', schema);

  afterAll(() => connection.close());

  it.each([
    ['updateOne', () => Model.updateOne({}, { name: 'x' }).exec()],
    ['updateMany', () => Model.updateMany({}, { name: 'x' }).exec()],
    ['findOneAndUpdate', () => Model.findOneAndUpdate({}, { name: 'x' }).exec()],
    ['findOneAndReplace', () => Model.findOneAndReplace({}, { name: 'x' }).exec()],
    ['findOneAndDelete', () => Model.findOneAndDelete({}).exec()],
    ['replaceOne', () => Model.replaceOne({}, { name: 'x' }).exec()],
    ['deleteOne', () => Model.deleteOne({}).exec()],
    ['deleteMany', () => Model.deleteMany({}).exec()],
  ])('refuses %s', async (op, run) => {
    await expect(run()).rejects.toThrow(new Refused(op));
  });

  it('refuses saving a document that is not new', async () => {
    const doc = Model.hydrate({ _id: new mongoose.Types.ObjectId(), name: 'stored' });
    doc.name = 'changed';
    await expect(doc.save()).rejects.toThrow(new Refused('save of an existing document'));
  });
});

describe('tenantScopingGaps (the boot-time check of MongoModule)', () => {
  it('names a model whose schema holds organizationId without tenantScopedPlugin or declareCrossTenant', () => {
    const connection = mongoose.createConnection();
    const scoped = new Schema({ name: String });
    scoped.plugin(tenantScopedPlugin);
    const declared = new Schema({ organizationId: String });
    declareCrossTenant(declared, 'platform records about organizations');
    connection.model('Scoped', scoped);
    connection.model('Declared', declared);
    connection.model('NoTenant', new Schema({ name: String }));
    connection.model('Forgotten', new Schema({ organizationId: String, name: String }));
    expect(tenantScopingGaps(connection)).toEqual(['Forgotten']);
  });
});
