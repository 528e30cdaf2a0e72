// The official Anthropic SDK against a running Cato (CATO_BASE_URL): Messages whole and streamed, system blocks,
// tool_use and tool_result round trips, images, stop_sequences, and Anthropic-shaped errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic({ baseURL: process.env.CATO_BASE_URL, apiKey: 'cato-local', maxRetries: 0 });
const weather = {
  name: 'get_weather',
  description: 'Current weather in a city.',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

test('messages.create, whole: text, stop reason and usage', async () => {
  const message = await client.messages.create({
    model: 'auto', max_tokens: 256, messages: [{ role: 'user', content: 'Capital of France?' }],
  });
  assert.equal(message.type, 'message');
  assert.equal(message.role, 'assistant');
  assert.equal(message.content[0].type, 'text');
  assert.equal(message.content[0].text, 'Paris is the capital of France.');
  assert.equal(message.stop_reason, 'end_turn');
  assert.ok(message.usage.output_tokens > 0);
});

test('messages.stream: text deltas in Anthropic events assemble into the message', async () => {
  const pieces = [];
  const stream = client.messages.stream({
    model: 'auto', max_tokens: 256, messages: [{ role: 'user', content: 'Capital of France?' }],
  });
  stream.on('text', (text) => pieces.push(text));
  const message = await stream.finalMessage();
  assert.ok(pieces.length > 1, 'the text streamed in pieces');
  assert.equal(message.content[0].text, 'Paris is the capital of France.');
  assert.equal(message.stop_reason, 'end_turn');
});

test('system as blocks, stop_sequences and top_p reach the tier', async () => {
  const message = await client.messages.create({
    model: 'auto', max_tokens: 256, system: [{ type: 'text', text: 'Be brief.' }], stop_sequences: ['END'], top_p: 0.5,
    messages: [{ role: 'user', content: 'echo-options please' }],
  });
  assert.equal(message.content[0].text, 'stop=["END"] seed=none top_p=0.5 system=Be brief.');
});

async function toolRoundTrip(streamed) {
  const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
  const ask = (msgs) => (streamed
    ? client.messages.stream({ model: 'auto', max_tokens: 256, tools: [weather], messages: msgs }).finalMessage()
    : client.messages.create({ model: 'auto', max_tokens: 256, tools: [weather], messages: msgs }));
  const first = await ask(messages);
  assert.equal(first.stop_reason, 'tool_use');
  const use = first.content.find((block) => block.type === 'tool_use');
  assert.equal(use.name, 'get_weather');
  assert.deepEqual(use.input, { city: 'Paris' });

  messages.push({ role: 'assistant', content: first.content });
  messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'sunny, 21 degrees' }] });
  const second = await ask(messages);
  assert.equal(second.stop_reason, 'end_turn');
  assert.match(second.content[0].text, /sunny, 21 degrees/);
}

test('tool_use and tool_result round trip, whole', async () => toolRoundTrip(false));

test('tool_use and tool_result round trip, streamed (input_json_delta)', async () => toolRoundTrip(true));

test('an image block reaches the image-capable tier', async () => {
  const message = await client.messages.create({
    model: 'auto', max_tokens: 256,
    messages: [{
      role: 'user',
      content: [
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
        { type: 'text', text: 'What is in this picture?' },
      ],
    }],
  });
  assert.match(message.content[0].text, /^I received 1 image\(s\): image\/png \d+ bytes$/);
});

test('errors come in Anthropic\'s shape', async () => {
  await assert.rejects(client.messages.create({
    model: 'plain', max_tokens: 64, tools: [weather], messages: [{ role: 'user', content: 'Weather?' }],
  }), (error) => {
    assert.equal(error.status, 400);
    assert.equal(error.error.type, 'error');
    assert.equal(error.error.error.type, 'invalid_request_error');
    assert.equal(error.error.error.code, 'unsupported_parameter');
    return true;
  });
  await assert.rejects(client.messages.create({
    model: 'auto', max_tokens: 64, top_k: 5, messages: [{ role: 'user', content: 'hi' }],
  }), (error) => error.status === 400 && error.error.error.code === 'unsupported_parameter');
});
