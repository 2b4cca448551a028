// `npm run doctor -- --project <id>`: checks a deployed Afterchat project with the owner's own
// Google credentials and prints a checklist. Exit 0 when every check passes, 1 otherwise
// (2: the command line itself was wrong). What each check means: docs/doctor.md.
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { formatChecklist, runChecks } from "./checks";
import { loadDeclared, publicUrlOf, StaleBuild } from "./manifest";

const ROOT = resolve(__dirname, "..", "..");

const USAGE = `usage: npm run doctor -- --project <projectId> [--quota-project <projectId>] [--public-url <https://…>]
Checks a deployed Afterchat project with your Application Default Credentials
(gcloud auth application-default login) and prints one line per check, with a fix for each failure.
  --quota-project  project billed for the checks' API calls (user credentials need one; default: your ADC's)
  --public-url     the site's URL when functions/.env.<projectId> and functions/.env set no PUBLIC_URL`;

/** Google Cloud project ids: 6–30 lowercase letters, digits and hyphens, starting with a letter. */
const ProjectId = z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "is not a Google Cloud project id");

const Options = z.object({
  project: ProjectId.refine((id) => !id.startsWith("demo-"), "is an emulator-only project (demo-*)"),
  "quota-project": ProjectId.optional(),
  "public-url": z.string().optional(),
  /** Tests only: the local stand-in that plays Google's APIs. */
  "api-root": z.url().optional(),
});

class UsageError extends Error {}

function options(argv: string[]): z.infer<typeof Options> {
  const { values } = parseArgs({
    args: argv,
    options: {
      project: { type: "string" },
      "quota-project": { type: "string" },
      "public-url": { type: "string" },
      "api-root": { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) throw new UsageError("");
  const parsed = Options.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(issue.path.length ? `--${issue.path.join(".")} ${issue.message}` : issue.message);
  }
  return parsed.data;
}

async function main(): Promise<number> {
  let opts: z.infer<typeof Options>;
  try {
    opts = options(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof TypeError)) throw err;
    if (err.message) console.error(err.message);
    console.error(USAGE);
    return 2;
  }
  let declared;
  try {
    declared = loadDeclared(join(ROOT, "functions"));
  } catch (err) {
    if (!(err instanceof StaleBuild)) throw err;
    console.error(err.message);
    return 1;
  }
  console.log(`Afterchat doctor: project ${opts.project}\n`);
  const { gatherAnswers } = await import("./apis"); // googleapis is large: loaded once the command line is known good
  const answers = await gatherAnswers(declared, {
    project: opts.project,
    quotaProject: opts["quota-project"],
    publicUrl: publicUrlOf(join(ROOT, "functions"), opts.project, opts["public-url"]),
    apiRoot: opts["api-root"],
  });
  const checks = runChecks(declared, answers);
  console.log(formatChecklist(checks));
  return checks.every((c) => c.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
