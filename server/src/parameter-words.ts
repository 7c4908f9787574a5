import { specOperations, type SchemaObject } from './spec.js';

/**
 * The validator's messages in words a client can act on: "expected a date like 2024-01-31", not
 * the schema's regular expression. Every `pattern` in openapi/lakefront.yaml has an entry here
 * (server/test/errors-in-words.test.ts checks each one).
 */
const PATTERN_WORDS: Readonly<Record<string, string>> = {
  '^\\d{5}$': 'expected a 5-digit ZIP code like 60614',
  '^\\d{4}-\\d{2}-\\d{2}$': 'expected a date like 2024-01-31',
  '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?)?$': 'expected a date like 2024-01-31 or 2024-01-31T13:45:00',
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?$': 'expected a date and time like 2024-01-31T13:45:00',
};

/** What each required parameter takes, from its schema in the spec: a missing one is told its form too. */
const REQUIRED_FORMS: ReadonlyMap<string, string> = new Map(
  specOperations().flatMap((operation) =>
    operation.parameters.flatMap((parameter) => {
      const words = (parameter as { required?: boolean }).required ? formInWords(parameter.schema) : undefined;
      return words ? [[parameter.name, words] as const] : [];
    }),
  ),
);

function formInWords(schema: SchemaObject | undefined): string | undefined {
  const pattern = typeof schema?.pattern === 'string' ? PATTERN_WORDS[schema.pattern] : undefined;
  if (pattern) return pattern;
  const items = schema?.items;
  const itemPattern = typeof items?.pattern === 'string' ? PATTERN_WORDS[items.pattern] : undefined;
  return itemPattern ? `${itemPattern}, or several comma-separated` : undefined;
}

const REWORDINGS: readonly [RegExp, (match: RegExpExecArray) => string][] = [
  [/^must match pattern "(.*)"$/, ([, pattern]) => PATTERN_WORDS[pattern!] ?? 'is not in the form this parameter takes (see /docs)'],
  [/^must be integer$/, () => 'expected a whole number like 100'],
  [/^must be number$/, () => 'expected a number like 41.88'],
  [/^must be boolean$/, () => 'expected true or false'],
  [/^must be >= (\S+)$/, ([, bound]) => `expected a number of at least ${bound}`],
  [/^must be > (\S+)$/, ([, bound]) => `expected a number greater than ${bound}`],
  [/^must be <= (\S+)$/, ([, bound]) => `expected a number of at most ${bound}`],
  [/^must be < (\S+)$/, ([, bound]) => `expected a number less than ${bound}`],
  [/^must be equal to one of the allowed values: (.*)$/, ([, values]) => `expected one of ${values}`],
  [/^must NOT have fewer than (\d+) items$/, ([, count]) => `expected at least ${count} comma-separated values`],
  [/^must NOT have more than (\d+) items$/, ([, count]) => `expected at most ${count} comma-separated values`],
  [/^must NOT have more than (\d+) characters$/, ([, count]) => `expected at most ${count} characters`],
  [/^must NOT have fewer than (\d+) characters$/, ([, count]) => `expected at least ${count} characters`],
  [/^must have required property '(.*)'$/, ([, name]) => (REQUIRED_FORMS.get(name!) ? `is required; ${REQUIRED_FORMS.get(name!)}` : 'is required')],
  [/^Unknown query parameter '.*'$/, () => 'is not a parameter of this endpoint (see /docs)'],
  [/^Parameter '.*' must be url encoded.*$/, () => 'takes one value here, not a comma-separated list'],
];

export function parameterMessageInWords(message: string): string {
  for (const [pattern, reword] of REWORDINGS) {
    const match = pattern.exec(message);
    if (match) return reword(match);
  }
  return message;
}
