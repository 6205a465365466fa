# bash completion for odoo-rpc                             -*- shell-script -*-
#
# Commands, options and their fixed values come from the program itself
# (odoo-rpc __complete ...), so they follow the installed version; model
# names come from the server when the environment, a profile or the words
# already typed give a connection (a 3 s limit; nothing on failure).

_odoo_rpc()
{
    local cur prev cword
    local -a words
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
    local prog=${words[0]}
    COMPREPLY=()

    # options that take a value, as "--name" (the program prints "--name=")
    local valopts
    valopts=" $("$prog" __complete options 2>/dev/null | sed -n 's/=$//p' | tr '\n' ' ') "

    # the command and the index of the word being completed among its arguments
    local cmd="" npos=0 i w ended=0
    for ((i = 1; i < cword; i++)); do
        w=${words[i]}
        if ((ended)) || [[ $w != -* || $w == - ]]; then
            if [[ -z $cmd ]]; then cmd=$w; else ((npos++)); fi
            continue
        fi
        case $w in
        --) ended=1 ;;
        --*=*) ;;
        --*) [[ $valopts == *" $w "* ]] && ((i++)) ;;
        -[dumA]) ((i++)) ;;
        esac
    done

    case $prev in
    --protocol | --prefer | --format)
        COMPREPLY=($(compgen -W "$("$prog" __complete values "$prev" 2>/dev/null)" -- "$cur"))
        return ;;
    --profile)
        COMPREPLY=($(compgen -W "$("$prog" __complete profiles 2>/dev/null)" -- "$cur"))
        return ;;
    --ca-file | --cacert | --cert | --key)
        COMPREPLY=($(compgen -f -- "$cur"))
        return ;;
    --ca-path | --capath)
        COMPREPLY=($(compgen -d -- "$cur"))
        return ;;
    --db | -d)
        # what db-list prints, from the URL typed so far (no login)
        local IFS=$'\n'
        COMPREPLY=($("$prog" __complete databases "$cur" "${words[@]:1:cword-2}" 2>/dev/null </dev/null))
        return ;;
    esac
    if [[ $valopts == *" $prev "* || $prev == -[dumA] ]]; then
        return # a free value
    fi

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$("$prog" __complete options $cmd 2>/dev/null | sed 's/=$//')" -- "$cur"))
        return
    fi
    if [[ -z $cmd || ($cmd == help && $npos == 0) ]]; then
        COMPREPLY=($(compgen -W "$("$prog" __complete commands 2>/dev/null)" -- "$cur"))
        return
    fi
    if [[ $cur == @* ]]; then
        COMPREPLY=($(compgen -f -P @ -- "${cur#@}"))
        return
    fi
    case $cmd in
    call | search-read | search | count | read | create | write | unlink | fields | name-search)
        if ((npos == 0)); then
            local IFS=$'\n'
            COMPREPLY=($("$prog" __complete models "$cur" "${words[@]:1:cword-1}" 2>/dev/null </dev/null))
        fi ;;
    ref | db-list) ;; # an external ID (free text); db-list takes no argument
    esac
}
complete -F _odoo_rpc odoo-rpc
