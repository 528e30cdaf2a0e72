// The official OpenAI SDK against a running Cato (CATO_BASE_URL): the model list, tools round trips whole and
// streamed, structured output, images, several choices, streamed usage, and the errors Cato answers instead of
// ignoring what it cannot honour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: `${process.env.CATO_BASE_URL}/v1`, apiKey: 'cato-local', maxRetries: 0 });
const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather in a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
// A 1x1 PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PNG_BYTES = Buffer.from(PNG, 'base64').length;

async function rejectsWith(promise, status, code, param) {
  await assert.rejects(promise, (error) => {
    assert.equal(error.status, status, error.message);
    assert.equal(error.code, code, error.message);
    if (param) assert.equal(error.param, param);
    return true;
  });
}

test('models.list names auto and every deployed tier', async () => {
  const ids = [];
  for await (const model of client.models.list()) ids.push(model.id);
  assert.deepEqual(ids.filter((id) => ['auto', 'strong', 'plain', 'memory'].includes(id)).sort(),
    ['auto', 'memory', 'plain', 'strong']);
  const one = await client.models.retrieve('strong');
  assert.equal(one.id, 'strong');
  assert.equal(one.object, 'model');
});

test('tools round trip, whole: call, tool result, final answer', async () => {
  const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
  const first = await client.chat.completions.create({ model: 'auto', messages, tools: [weather] });
  assert.equal(first.choices[0].finish_reason, 'tool_calls');
  const call = first.choices[0].message.tool_calls[0];
  assert.equal(call.type, 'function');
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris' });

  messages.push(first.choices[0].message);
  messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify({ sky: 'sunny', celsius: 21 }) });
  const second = await client.chat.completions.create({ model: 'auto', messages, tools: [weather] });
  assert.equal(second.choices[0].finish_reason, 'stop');
  assert.match(second.choices[0].message.content, /sunny/);
  assert.equal(second.cato.cache.status, 'off');
});

test('tools round trip, streamed: tool-call deltas assemble into the call, then the final answer streams', async () => {
  const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
  const stream = client.chat.completions.stream({ model: 'auto', messages, tools: [weather] });
  let deltas = 0;
  stream.on('chunk', (chunk) => { if (chunk.choices[0]?.delta?.tool_calls) deltas += 1; });
  const first = await stream.finalChatCompletion();
  assert.ok(deltas >= 2, `tool calls came in ${deltas} chunks`);
  assert.equal(first.choices[0].finish_reason, 'tool_calls');
  const call = first.choices[0].message.tool_calls[0];
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris' });

  messages.push(first.choices[0].message);
  messages.push({ role: 'tool', tool_call_id: call.id, content: 'rain, 12 degrees' });
  const pieces = [];
  const second = client.chat.completions.stream({ model: 'auto', messages, tools: [weather] });
  second.on('content', (delta) => pieces.push(delta));
  const final = await second.finalChatCompletion();
  assert.equal(final.choices[0].finish_reason, 'stop');
  assert.match(final.choices[0].message.content, /rain, 12 degrees/);
  assert.ok(pieces.length > 1, 'the final answer streamed in pieces');
});

const weatherSchema = {
  type: 'object',
  properties: { city: { type: 'string' }, temperature_c: { type: 'number', minimum: -90, maximum: 60 } },
  required: ['city', 'temperature_c'],
  additionalProperties: false,
};

test('json_schema: the answer parses and matches the schema, whole and streamed', async () => {
  const response_format = { type: 'json_schema', json_schema: { name: 'weather', strict: true, schema: weatherSchema } };
  const whole = await client.chat.completions.create({
    model: 'auto', messages: [{ role: 'user', content: 'Weather in Paris as JSON' }], response_format,
  });
  const parsed = JSON.parse(whole.choices[0].message.content);
  assert.equal(typeof parsed.city, 'string');
  assert.equal(typeof parsed.temperature_c, 'number');
  assert.deepEqual(Object.keys(parsed).sort(), ['city', 'temperature_c']);

  const stream = client.chat.completions.stream({
    model: 'auto', messages: [{ role: 'user', content: 'Weather in Paris as JSON, streamed' }], response_format,
  });
  const streamed = await stream.finalChatCompletion();
  assert.deepEqual(JSON.parse(streamed.choices[0].message.content), parsed);
});

test('json_object: the answer is a JSON object', async () => {
  const response = await client.chat.completions.create({
    model: 'strong', messages: [{ role: 'user', content: 'Answer in JSON' }], response_format: { type: 'json_object' },
  });
  assert.equal(typeof JSON.parse(response.choices[0].message.content), 'object');
});

test('an image reaches the image-capable tier; a remote URL is refused', async () => {
  const content = [
    { type: 'text', text: 'What is in this picture?' },
    { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
  ];
  const response = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content }] });
  assert.equal(response.choices[0].message.content, `I received 1 image(s): image/png ${PNG_BYTES} bytes`);
  assert.equal(response.cato.tier, 'strong');

  await rejectsWith(client.chat.completions.create({
    model: 'auto',
    messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }],
  }), 400, 'remote_image_not_fetched');
});

test('n: 2 gives two choices', async () => {
  const response = await client.chat.completions.create({
    model: 'auto', n: 2, messages: [{ role: 'user', content: 'Capital of France?' }],
  });
  assert.equal(response.choices.length, 2);
  assert.deepEqual(response.choices.map((c) => c.index), [0, 1]);
});

test('stop, seed, top_p and the system prompt reach the tier', async () => {
  const response = await client.chat.completions.create({
    model: 'auto', stop: ['END'], seed: 7, top_p: 0.5,
    messages: [{ role: 'developer', content: 'Be brief.' }, { role: 'user', content: 'echo-options please' }],
  });
  assert.equal(response.choices[0].message.content, 'stop=["END"] seed=7 top_p=0.5 system=Be brief.');
});

test('stream_options.include_usage ends the stream with a usage chunk without choices', async () => {
  const stream = await client.chat.completions.create({
    model: 'auto', stream: true, stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'Capital of France?' }],
  });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  const last = chunks.at(-1);
  assert.deepEqual(last.choices, []);
  assert.ok(last.usage.total_tokens > 0);
  const text = chunks.flatMap((c) => c.choices).map((c) => c.delta?.content ?? '').join('');
  assert.equal(text, 'Paris is the capital of France.');
});

test('what a tier cannot take is refused with unsupported_parameter, never ignored', async () => {
  const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
  await rejectsWith(client.chat.completions.create({ model: 'plain', messages, tools: [weather] }),
    400, 'unsupported_parameter', 'tools');
  await rejectsWith(client.chat.completions.create({
    model: 'plain', messages, response_format: { type: 'json_object' },
  }), 400, 'unsupported_parameter', 'response_format');
  await rejectsWith(client.chat.completions.create({
    model: 'plain',
    messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }] }],
  }), 400, 'unsupported_parameter');
  await rejectsWith(client.chat.completions.create({ model: 'auto', messages, logprobs: true }),
    400, 'unsupported_parameter', 'logprobs');
  await rejectsWith(client.chat.completions.create({ model: 'auto', messages, audio: { voice: 'alloy', format: 'mp3' } }),
    400, 'unsupported_parameter', 'audio');
});

test('embeddings and the Responses API answer a stable not-offered error', async () => {
  await rejectsWith(client.embeddings.create({ model: 'auto', input: 'hello' }), 404, 'endpoint_not_offered');
  await rejectsWith(client.responses.create({ model: 'auto', input: 'hello' }), 404, 'endpoint_not_offered');
});
