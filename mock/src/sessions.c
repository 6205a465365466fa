/* odoo-mock — web sessions: 84-character url-safe ids, invalidated when
 * the user's password/login/active flag changes (like Odoo's session
 * token), optional expiry after N calls (fault "session_expiry"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mock_internal.h"

static const char URLSAFE[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static unsigned bucket(const char *sid)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)sid; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h % SESSION_BUCKETS;
}

void om_session_new_sid(odoo_mock *m, char out[88])
{
    pthread_mutex_lock(&m->auth_lock);
    for (int i = 0; i < 84; i += 8) {
        uint64_t r = om_splitmix64(&m->rng);
        for (int k = 0; k < 8 && i + k < 84; k++)
            out[i + k] = URLSAFE[(r >> (6 * k)) & 63];
    }
    pthread_mutex_unlock(&m->auth_lock);
    out[84] = '\0';
}

void om_session_create(odoo_mock *m, int uid, int64_t sec_gen, char out_sid[88])
{
    om_session_new_sid(m, out_sid);
    session *s = om_xcalloc(1, sizeof *s);
    memcpy(s->sid, out_sid, 85);
    s->uid = uid;
    s->sec_gen = sec_gen;
    unsigned b = bucket(out_sid);
    pthread_mutex_lock(&m->auth_lock);
    s->next = m->sessions[b];
    m->sessions[b] = s;
    pthread_mutex_unlock(&m->auth_lock);
}

static void unlink_session(odoo_mock *m, unsigned b, session *s)
{
    session **pp = &m->sessions[b];
    while (*pp && *pp != s)
        pp = &(*pp)->next;
    if (*pp) {
        *pp = s->next;
        free(s);
    }
}

int om_session_check(odoo_mock *m, const char *sid, int count_call)
{
    if (!sid || strlen(sid) != 84)
        return 0;
    unsigned b = bucket(sid);
    int uid = 0;
    pthread_mutex_lock(&m->auth_lock);
    session *s = m->sessions[b];
    while (s && strcmp(s->sid, sid))
        s = s->next;
    if (s) {
        int64_t gen = om_auth_user_sec_gen(m, s->uid);
        if (gen < 0 || gen != s->sec_gen) {
            unlink_session(m, b, s);
        } else {
            long limit = m->session_expiry_calls;
            if (count_call)
                s->calls++;
            if (limit > 0 && s->calls > limit)
                unlink_session(m, b, s);
            else
                uid = s->uid;
        }
    }
    pthread_mutex_unlock(&m->auth_lock);
    return uid;
}

void om_session_destroy(odoo_mock *m, const char *sid)
{
    if (!sid)
        return;
    unsigned b = bucket(sid);
    pthread_mutex_lock(&m->auth_lock);
    session *s = m->sessions[b];
    while (s && strcmp(s->sid, sid))
        s = s->next;
    if (s)
        unlink_session(m, b, s);
    pthread_mutex_unlock(&m->auth_lock);
}

void om_session_clear_all(odoo_mock *m)
{
    pthread_mutex_lock(&m->auth_lock);
    for (int i = 0; i < SESSION_BUCKETS; i++) {
        while (m->sessions[i]) {
            session *s = m->sessions[i];
            m->sessions[i] = s->next;
            free(s);
        }
    }
    pthread_mutex_unlock(&m->auth_lock);
}
