// The MDN HTTP Observatory's own tests and grading (its scanner's `scan`), run against a site on
// ports other than 80 and 443, which its command line cannot do.
//
//   node scan.mjs OBSERVATORY_DIR HOSTNAME HTTP_PORT HTTPS_PORT
//
// OBSERVATORY_DIR: node_modules/@mdn/mdn-http-observatory of an `npm install --ignore-scripts`.
// Trust a self-signed certificate with NODE_EXTRA_CA_CERTS=cert.pem.
import path from "node:path";

const [dir, hostname, httpPort, httpsPort] = process.argv.slice(2);
const load = (file) => import(path.resolve(dir, "src", file));
const { retrieve } = await load("retriever/retriever.js");
const { ALL_TESTS, NUM_TESTS } = await load("constants.js");
const { MINIMUM_SCORE_FOR_EXTRA_CREDIT } = await load("grader/charts.js");
const { getGradeForScore, getScoreModifier } = await load("grader/grader.js");

const r = await retrieve(hostname, { httpPort, httpsPort });
if (!r.responses.auto) {
  console.log(JSON.stringify({ error: "The site seems to be down." }));
  process.exit(1);
}
// As scan(): the full score counts only if the score without extra credit is already an A.
let withExtraCredit = 100;
let uncurved = 100;
let passed = 0;
const tests = {};
for (const test of ALL_TESTS) {
  const result = test(r);
  if (result.result) {
    const modifier = getScoreModifier(result.result);
    withExtraCredit += modifier;
    if (modifier < 0) uncurved += modifier;
    passed += result.pass ? 1 : 0;
    tests[result.constructor.name] = { result: result.result, pass: result.pass, modifier };
  }
}
const final = getGradeForScore(
  uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withExtraCredit : uncurved
);
console.log(
  JSON.stringify(
    {
      grade: final.grade,
      score: final.score,
      testsPassed: passed,
      testsQuantity: NUM_TESTS,
      statusCode: r.responses.auto.status,
      tests,
    },
    null,
    2
  )
);
