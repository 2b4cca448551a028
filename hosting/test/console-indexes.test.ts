// Every query the console runs has its composite index in firestore.indexes.json. The emulator
// serves any query without one, so only this test catches a missing index before production does.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { allConsoleQueries, inboxQuery, indexFor, type CompositeIndex } from "../src/console/queries";

const indexes = (
  JSON.parse(readFileSync(new URL("../../firestore.indexes.json", import.meta.url), "utf8")) as {
    indexes: CompositeIndex[];
  }
).indexes;

describe("console queries × firestore.indexes.json", () => {
  for (const spec of allConsoleQueries()) {
    const where =
      spec.where.map((w) => `${w.field} ${w.op} ${w.value === null ? "null" : "…"}`).join(", ") || "no filter";
    const order = spec.orderBy.map((o) => `${o.field} ${o.direction}`).join(", ") || "no order";
    it(`${spec.collection}: ${where}; ${order}`, () => {
      const result = indexFor(spec, indexes);
      if (result.needed) assert.ok(result.found, `missing composite index for ${JSON.stringify(spec)}`);
    });
  }

  it("the checker itself notices a missing index and a wrong direction", () => {
    const mine = inboxQuery({ status: "open", assignee: "mine" }, "uid");
    assert.deepEqual(indexFor(mine, []), { needed: true, found: false });
    const reversed: CompositeIndex = {
      collectionGroup: "threads",
      queryScope: "COLLECTION",
      fields: [
        { fieldPath: "assignedTo", order: "ASCENDING" },
        { fieldPath: "status", order: "ASCENDING" },
        { fieldPath: "lastActivityAt", order: "ASCENDING" },
      ],
    };
    assert.deepEqual(indexFor(mine, [reversed]), { needed: true, found: false });
    assert.deepEqual(
      indexFor(mine, [
        { ...reversed, fields: [...reversed.fields.slice(0, 2), { fieldPath: "lastActivityAt", order: "DESCENDING" }] },
      ]),
      {
        needed: true,
        found: true,
      },
    );
  });

  it("the inbox never listens without a limit", () => {
    for (const spec of allConsoleQueries())
      assert.ok(spec.limit && spec.limit <= 500, `${spec.path} has no small limit`);
  });
});
