// Task ids given to clients: they route back to the right server and work only for the client they were given to.
import { describe, expect, it } from 'vitest';
import { TaskHandles } from '../../main/core/router/task-handles.ts';

describe('TaskHandles', () => {
  const handles = new TaskHandles();
  const location = { serverId: 'wiki', upstreamTaskId: '786512e2-9e0d-44bd-8f29-789f320fe840' };

  it('resolves an id for the client it was given to', () => {
    const id = handles.expose('cursor', location);
    expect(id).toMatch(/^sbt1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(handles.resolve('cursor', id)).toEqual(location);
  });

  it('refuses the id for any other client, and after a restart (a new key)', () => {
    const id = handles.expose('cursor', location);
    expect(handles.resolve('claude', id)).toBeUndefined();
    expect(new TaskHandles().resolve('cursor', id)).toBeUndefined();
  });

  it('refuses an id pointed at another server or task', () => {
    const [prefix, , task, mac] = handles.expose('cursor', location).split('.');
    expect(handles.resolve('cursor', `${prefix}.${Buffer.from('crm').toString('base64url')}.${task}.${mac}`)).toBeUndefined();
    const [, server] = handles.expose('cursor', location).split('.');
    expect(handles.resolve('cursor', `${prefix}.${server}.${Buffer.from('other').toString('base64url')}.${mac}`)).toBeUndefined();
  });

  it('keeps ids with dots and odd characters intact, and ignores malformed ids', () => {
    const odd = { serverId: 'a.b', upstreamTaskId: 'task.with.dots/é' };
    expect(handles.resolve('c', handles.expose('c', odd))).toEqual(odd);
    for (const bad of ['', 'sbt1', 'sbt1.a.b', 'sbt2.a.b.c', 'sbt1.a.b.c.d', 'sbt1...']) expect(handles.resolve('c', bad)).toBeUndefined();
  });
});
